# Wrong: an HTTP/1.1 request without a Host header. The server answers
# "400 Bad Request", so the request and response checks fail.
import os
import socket

host = os.environ.get("WIRELAB_ARG_HOST", "www.yahoo.com")
port = int(os.environ.get("WIRELAB_ARG_PORT", "80"))

sock = socket.create_connection((host, port), timeout=5)
sock.sendall(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
response = b""
while True:
    chunk = sock.recv(4096)
    if not chunk:
        break
    response += chunk
sock.close()
print(response.split(b"\r\n", 1)[0].decode("latin-1"))
