# Wrong: assumes the server is on its own segment at 10.0.1.80. Nothing is
# there: the ARP request for it goes unanswered and the connect fails.
from socket import *

clientSocket = socket(AF_INET, SOCK_STREAM)
clientSocket.settimeout(3)
try:
    clientSocket.connect(("10.0.1.80", 80))
except OSError as e:
    print("error:", e)
clientSocket.close()
