"""A stand-in for the 2016 Howdy server, written from the seed's description and flowcharts
(seed/HowdyChatProtocol.md): one thread per client, one recv(4096) is one message, types other
than 1 and 5 are discarded silently, a dictionary maps names to sockets, UPDATE goes to everyone
after each ACK and each disconnection. It is used to check that our clients fall back to classic
HCP/1 and work with it. Usage: python3 howdy_server_2016.py PORT"""
import socket
import sys
import threading

users = {}  # name -> socket, in order of joining
lock = threading.Lock()


def field(name):
    return name.encode('utf-8').ljust(64, b'\0')


def update_all():
    with lock:
        packet = b'\x04' + b''.join(field(n) for n in users)
        for s in users.values():
            try:
                s.send(packet)
            except OSError:
                pass


def handle(conn):
    name = None
    while True:
        try:
            data = conn.recv(4096)
        except OSError:
            data = b''
        if not data:
            break
        if data[0] == 1:
            proposed = data[1:65].rstrip(b'\0').decode('utf-8', 'replace')
            with lock:
                taken = name is not None or proposed in users or proposed in ('All', 'Server')
                if not taken:
                    users[proposed] = conn
            if taken:
                conn.send(b'\x03' + field(proposed))
            else:
                name = proposed
                conn.send(b'\x02' + field(proposed))
                update_all()
        elif data[0] == 5 and name is not None:
            receiver = data[65:129].rstrip(b'\0').decode('utf-8', 'replace')
            with lock:
                targets = [s for n, s in users.items() if n != name] if receiver == 'All' else [users.get(receiver)]
            for s in targets:
                if s is not None:
                    try:
                        s.send(data)
                    except OSError:
                        pass
        # anything else: discarded silently
    if name is not None:
        with lock:
            users.pop(name, None)
        update_all()
    conn.close()


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(('127.0.0.1', int(sys.argv[1])))
    server.listen(16)
    print('Server is started and listening.', flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


main()
