"""Loaded by every Python the tests start (PYTHONPATH points here): sockets to the network
fail, so a `qda` subprocess that tried to open a connection would fail its test."""
import socket

_connect = socket.socket.connect


def _refuse(self, address, *args, **kwargs):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        raise OSError(f"qda tests: network connection to {address} refused (qda must "
                      "work offline)")
    return _connect(self, address, *args, **kwargs)


socket.socket.connect = _refuse
socket.create_connection = lambda address, *a, **k: _refuse(
    socket.socket(socket.AF_INET), address)
