# Wrong: a server that never replies. It accepts each client and reads what
# it sends until the client gives up and closes, but answers nothing.
import os
from socket import *

serverPort = int(os.environ.get("WIRELAB_ARG_PORT", "7000"))
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.bind(("", serverPort))
serverSocket.listen(1)

while True:
    connectionSocket, addr = serverSocket.accept()
    while True:
        sentence = connectionSocket.recv(1024).decode()
        if not sentence:
            break
        capitalizedSentence = sentence.upper()  # ... and never sent
    connectionSocket.close()
