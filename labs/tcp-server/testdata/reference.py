# Reference solution for the tcp-server lab, in Python: an upper-casing
# server. It serves one client at a time, for as long as the lab keeps
# connecting; the run ends once the lab's client has finished.
import os
from socket import *

serverPort = int(os.environ.get("WIRELAB_ARG_PORT", "7000"))
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.bind(("", serverPort))  # every address of this host
serverSocket.listen(1)

while True:
    connectionSocket, addr = serverSocket.accept()
    connectionSocket.settimeout(5)
    # Read until the client closes its side (recv returns b""): upper-casing
    # each piece as it comes answers every line, however the lines arrive.
    while True:
        data = connectionSocket.recv(1024)
        if not data:
            break
        connectionSocket.sendall(data.upper())
    connectionSocket.close()
