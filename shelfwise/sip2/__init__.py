"""SIP2 server for self-check kiosks (DESIGN.md §2 "sip2", issue 8)."""
