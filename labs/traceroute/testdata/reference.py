# Reference solution for the traceroute lab, in Python. Setting a socket's TTL
# needs no privilege: an ordinary UDP socket does it with IP_TTL.
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "target")
basePort = int(os.environ.get("WIRELAB_ARG_PORT", "33434"))

for ttl in range(1, 9):
    probe = socket(AF_INET, SOCK_DGRAM)
    probe.settimeout(2)
    probe.connect((serverName, basePort + ttl))
    probe.setsockopt(IPPROTO_IP, IP_TTL, ttl)
    probe.send(f"probe {ttl}".encode())
    try:
        probe.recv(512)
        print(f"hop {ttl}: an answer?")
    except ConnectionRefusedError:
        # the target's port unreachable: the datagram got there
        print(f"reached target at hop {ttl}")
        break
    except timeout:
        # a router's time exceeded reaches a connected UDP socket as a
        # timeout (Linux reports only hard errors without IP_RECVERR)
        print(f"hop {ttl}: timeout")
    finally:
        probe.close()
else:
    print("target not reached")
