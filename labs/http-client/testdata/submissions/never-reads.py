# Partial: sends a correct request but closes the socket without reading the
# response. Closing a socket whose receive queue still holds data makes the
# kernel abort the connection with RST instead of the FIN handshake.
import select
import socket
import time

sock = socket.create_connection(("www.yahoo.com", 80), timeout=5)
sock.sendall(b"GET / HTTP/1.1\r\nHost: www.yahoo.com\r\n\r\n")
# wait until the response is there, without reading it
select.select([sock], [], [], 5)
time.sleep(0.05)
sock.close()
