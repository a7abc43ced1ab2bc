# Partial: does the echo exchange and stops there.
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "echo")
message = os.environ.get("WIRELAB_ARG_MESSAGE", "hello, udp")

clientSocket = socket(AF_INET, SOCK_DGRAM)
clientSocket.settimeout(2)
clientSocket.connect((serverName, 7))
clientSocket.send(message.encode())
print("reply: " + clientSocket.recv(2048).decode())
clientSocket.close()
