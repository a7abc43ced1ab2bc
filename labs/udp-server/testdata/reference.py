# Reference solution for the udp-server lab, in Python: answer every datagram
# with its text in upper case, at the address and port it came from.
import os
from socket import *

serverPort = int(os.environ.get("WIRELAB_ARG_PORT", "7000"))
serverSocket = socket(AF_INET, SOCK_DGRAM)
# "": every address of this host. The kernel answers from the address the
# datagram was sent to.
serverSocket.bind(("", serverPort))

while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    print(f"{clientAddress[0]}:{clientAddress[1]} says {message.decode()!r}")
    serverSocket.sendto(message.upper(), clientAddress)
