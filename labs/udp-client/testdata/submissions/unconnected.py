# Partial: the textbook UDP client, sendto/recvfrom on an unconnected socket.
# The kernel does not report an ICMP error to an unconnected UDP socket, so
# the second recvfrom only times out and the refusal is never seen.
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "echo")
serverPort = int(os.environ.get("WIRELAB_ARG_PORT", "7"))
closedPort = int(os.environ.get("WIRELAB_ARG_CLOSED_PORT", "9"))
message = os.environ.get("WIRELAB_ARG_MESSAGE", "hello, udp")

clientSocket = socket(AF_INET, SOCK_DGRAM)
clientSocket.settimeout(1)
for port, text in ((serverPort, message), (closedPort, "anyone there?")):
    clientSocket.sendto(text.encode(), (serverName, port))
    try:
        reply, serverAddress = clientSocket.recvfrom(2048)
        print("reply: " + reply.decode())
    except timeout:
        print("error: timeout")
clientSocket.close()
