# Partial: reads a greeting from every port, including 80 — but a web server
# says nothing until asked, so the read on port 80 times out.
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "target")

for port in (21, 22, 25, 80):
    clientSocket = socket(AF_INET, SOCK_STREAM)
    clientSocket.settimeout(1)
    try:
        clientSocket.connect((serverName, port))
        line = clientSocket.recv(1024).decode().split("\r\n")[0]
        print(f"{port}: {line}")
    except OSError as e:
        print(f"{port}: error: {e}")
    clientSocket.close()
