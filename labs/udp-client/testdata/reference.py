# Reference solution for the udp-client lab, in Python.
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "echo")
serverPort = int(os.environ.get("WIRELAB_ARG_PORT", "7"))
closedPort = int(os.environ.get("WIRELAB_ARG_CLOSED_PORT", "9"))
message = os.environ.get("WIRELAB_ARG_MESSAGE", "hello, udp")

# 1. An echo service sends every datagram back to where it came from.
clientSocket = socket(AF_INET, SOCK_DGRAM)
clientSocket.settimeout(2)
clientSocket.connect((serverName, serverPort))  # send and recv use this peer
clientSocket.send(message.encode())
try:
    print("reply: " + clientSocket.recv(2048).decode())
except OSError as e:
    print("error:", e)
clientSocket.close()

# 2. Nothing listens on the closed port: the target's kernel answers with an
# ICMP "port unreachable", which a connected UDP socket reports on its next
# recv as ConnectionRefusedError. (An unconnected socket, sendto/recvfrom,
# never hears of it: its recvfrom only times out.)
clientSocket = socket(AF_INET, SOCK_DGRAM)
clientSocket.settimeout(2)
clientSocket.connect((serverName, closedPort))
clientSocket.send(b"anyone there?")
try:
    print("reply: " + clientSocket.recv(2048).decode())
except ConnectionRefusedError:
    print("error: connection refused")
except OSError as e:
    print("error:", e)
clientSocket.close()
