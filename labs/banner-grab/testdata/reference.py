# Reference solution for the banner-grab lab, in Python: read the greeting of
# the FTP, SSH and SMTP servers, probe the web server, print "port: banner".
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "target")


def greeting(port):
    """The first line a server sends on connect, without its line ending."""
    clientSocket = socket(AF_INET, SOCK_STREAM)
    clientSocket.settimeout(3)
    clientSocket.connect((serverName, port))
    data = b""
    while b"\n" not in data:
        chunk = clientSocket.recv(1024)
        if not chunk:
            break
        data += chunk
    clientSocket.close()
    return data.split(b"\n")[0].rstrip(b"\r").decode()


def server_header(port):
    """Send an HTTP/1.0 HEAD request (the server closes after answering) and
    return the value of the Server header."""
    clientSocket = socket(AF_INET, SOCK_STREAM)
    clientSocket.settimeout(3)
    clientSocket.connect((serverName, port))
    clientSocket.sendall(b"HEAD / HTTP/1.0\r\n\r\n")
    answer = b""
    while True:
        chunk = clientSocket.recv(1024)
        if not chunk:
            break
        answer += chunk
    clientSocket.close()
    for line in answer.decode().split("\r\n"):
        if line.lower().startswith("server:"):
            return line.split(":", 1)[1].strip()
    return "error: no Server header"


for port in (21, 22, 25):
    try:
        print(f"{port}: {greeting(port)}")
    except OSError as e:
        print(f"{port}: error: {e}")
try:
    print(f"80: {server_header(80)}")
except OSError as e:
    print(f"80: error: {e}")
