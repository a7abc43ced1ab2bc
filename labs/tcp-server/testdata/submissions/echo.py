# Wrong: a plain echo server. Every connection is served and closed cleanly,
# but every line comes back unchanged.
import os
from socket import *

serverPort = int(os.environ.get("WIRELAB_ARG_PORT", "7000"))
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.bind(("", serverPort))
serverSocket.listen(1)

while True:
    connectionSocket, addr = serverSocket.accept()
    while True:
        data = connectionSocket.recv(1024)
        if not data:
            break
        connectionSocket.sendall(data)
    connectionSocket.close()
