# Wrong: grabs the right banners but prints them in its own format
# ("port 21 -> ..."), so no output check recognises them.
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "target")

for port in (21, 22, 25):
    clientSocket = socket(AF_INET, SOCK_STREAM)
    clientSocket.settimeout(3)
    clientSocket.connect((serverName, port))
    print(f"port {port} -> {clientSocket.recv(1024)!r}")
    clientSocket.close()

clientSocket = socket(AF_INET, SOCK_STREAM)
clientSocket.settimeout(3)
clientSocket.connect((serverName, 80))
clientSocket.send(b"HEAD / HTTP/1.0\r\n\r\n")
print(f"port 80 -> {clientSocket.recv(4096)!r}")
clientSocket.close()
