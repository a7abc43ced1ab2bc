# Partial: stops after the first hop.
import os
from socket import *

serverName = os.environ.get("WIRELAB_ARG_HOST", "target")

probe = socket(AF_INET, SOCK_DGRAM)
probe.settimeout(0.5)
probe.connect((serverName, 33434))
probe.setsockopt(IPPROTO_IP, IP_TTL, 1)
probe.send(b"probe")
try:
    probe.recv(512)
except OSError as e:
    print("hop 1:", e)
