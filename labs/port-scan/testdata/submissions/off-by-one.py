# Partial: range(1, 1024) stops one port short, as Python's ranges do: every
# open port is found, but port 1024 is never probed.
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "target")

for port in range(1, 1024):
    clientSocket = socket(AF_INET, SOCK_STREAM)
    clientSocket.settimeout(5)
    if clientSocket.connect_ex((serverName, port)) == 0:
        print(port)
    clientSocket.close()
