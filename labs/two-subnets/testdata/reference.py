# Reference solution for the two-subnets lab, in Python. Nothing here knows
# about the router: the host's routing table sends everything for 10.0.2.0/24
# to gw.
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "www")
serverPort = int(os.environ.get("WIRELAB_ARG_PORT", "80"))

clientSocket = socket(AF_INET, SOCK_STREAM)
clientSocket.settimeout(5)
clientSocket.connect((serverName, serverPort))
request = f"GET / HTTP/1.1\r\nHost: {serverName}\r\nConnection: close\r\n\r\n"
clientSocket.sendall(request.encode())
response = b""
while True:
    data = clientSocket.recv(4096)
    if not data:
        break
    response += data
clientSocket.close()
print(response.decode().split("\r\n")[0])
