# Partial: accepts one client, serves it correctly and ends, as a server
# without its "while True" does. The lab's client never gets its second
# connection.
import os
from socket import *

serverPort = int(os.environ.get("WIRELAB_ARG_PORT", "7000"))
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.bind(("", serverPort))
serverSocket.listen(1)

connectionSocket, addr = serverSocket.accept()
serverSocket.close()
while True:
    data = connectionSocket.recv(1024)
    if not data:
        break
    connectionSocket.sendall(data.upper())
connectionSocket.close()
