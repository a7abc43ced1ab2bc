# Wrong: answers every datagram to port 7000 of the sender, not to the port
# it came from. Nothing listens there: the tester's host answers with ICMP
# port unreachable, and the tester never hears back.
import os
from socket import *

serverPort = int(os.environ.get("WIRELAB_ARG_PORT", "7000"))
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(("", serverPort))

while True:
    message, (clientIP, clientPort) = serverSocket.recvfrom(2048)
    print(message.decode())
    serverSocket.sendto(message.upper(), (clientIP, serverPort))
