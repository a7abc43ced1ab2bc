# Reference solution for the http-client lab in Python: fetch / from
# www.yahoo.com with a raw TCP socket and print the status line.
import socket

HOST, PORT = "www.yahoo.com", 80

sock = socket.create_connection((HOST, PORT), timeout=5)

# HTTP/1.1 requires a Host header. "Connection: close" asks the server to close
# after its answer, so reading until recv returns b"" gets the whole response.
request = "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % HOST
sock.sendall(request.encode("ascii"))

# Read everything, so that nothing unread is left in the socket: closing a
# socket with unread data makes the kernel answer with RST, not FIN.
response = b""
while True:
    chunk = sock.recv(4096)
    if not chunk:
        break
    response += chunk
sock.close()

status_line = response.split(b"\r\n", 1)[0]
print(status_line.decode("latin-1"))
