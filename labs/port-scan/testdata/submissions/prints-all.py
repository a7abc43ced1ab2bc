# Wrong: scans every port but prints every result, open or closed, so the
# output is not the list of open ports.
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "target")

for port in range(1, 1025):
    clientSocket = socket(AF_INET, SOCK_STREAM)
    clientSocket.settimeout(5)
    err = clientSocket.connect_ex((serverName, port))
    clientSocket.close()
    print(port, "open" if err == 0 else os.strerror(err))
