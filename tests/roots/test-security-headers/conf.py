extensions = ["stemcellref.hardening.security"]
security_csp = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "frame-ancestors": ["'none'"],
}
security_headers = {"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
