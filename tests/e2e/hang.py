# A server that accepts connections and never answers: python3 hang.py PORT
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
print("accepting and never answering", flush=True)
time.sleep(600)
