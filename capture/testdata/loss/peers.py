# The two ends of the loss captures (make.sh runs them on the loopback of a
# private network namespace): python3 peers.py SCENARIO.
import socket, sys, threading, time

HOST, PORT = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1", 8000


def server(ready, scenario):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if scenario == "zerowin":
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    ls.bind((HOST, PORT))
    ls.listen(1)
    ready.set()
    c, _ = ls.accept()
    if scenario == "zerowin":
        time.sleep(1.5)  # let the window fill and close
        for _ in range(40):
            if not c.recv(512):
                break
            time.sleep(0.02)
    while c.recv(65536):
        pass
    c.sendall(b"done\n")
    c.close()


def client(scenario):
    for _ in range(100):
        try:
            s = socket.create_connection((HOST, PORT))
            break
        except ConnectionRefusedError:
            time.sleep(0.05)
    if scenario == "keepalive":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        s.sendall(b"hello\n")
        time.sleep(3.5)
        s.sendall(b"bye\n")
    elif scenario == "zerowin":
        s.sendall(b"z" * 60000)
    elif scenario == "rto":
        for i in range(30):
            s.sendall(b"%05d " % i + b"r" * 200)
            time.sleep(0.01)
    else:
        for i in range(300):
            s.sendall(b"%05d " % i + b"x" * 1400)
    s.shutdown(socket.SHUT_WR)
    s.recv(100)
    s.close()


scenario = sys.argv[1].split("-")[0]
role = sys.argv[3] if len(sys.argv) > 3 else "both"
ready = threading.Event()
if role == "server":
    server(ready, scenario)
elif role == "client":
    client(scenario)
else:
    t = threading.Thread(target=server, args=(ready, scenario))
    t.start()
    ready.wait()
    client(scenario)
    t.join()
