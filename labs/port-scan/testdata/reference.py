# Reference solution for the port-scan lab, in Python: a TCP connect scan of
# ports 1-1024. A closed port refuses the connection at once (the target
# answers the SYN with RST); an open one accepts it, and we close it at once.
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "target")
first = int(os.environ.get("WIRELAB_ARG_FIRST", "1"))
last = int(os.environ.get("WIRELAB_ARG_LAST", "1024"))

for port in range(first, last + 1):
    clientSocket = socket(AF_INET, SOCK_STREAM)
    clientSocket.settimeout(5)
    if clientSocket.connect_ex((serverName, port)) == 0:
        print(port)
    clientSocket.close()
