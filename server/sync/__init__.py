"""Offline sync for the phone: push what was done offline, pull every change since a cursor."""
