# Wrong: receives and prints every datagram but never answers.
import os
from socket import *

serverPort = int(os.environ.get("WIRELAB_ARG_PORT", "7000"))
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(("", serverPort))

while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    print(message.decode())
