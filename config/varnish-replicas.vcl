vcl 4.1;
# Two (or more) kade-serve replicas behind one Varnish: config/varnish.vcl, plus a round-robin
# director over the replicas and one retry on another replica when a fetch fails.
#
#   varnishd -a :6081 -f /etc/varnish/varnish-replicas.vcl -p http_gzip_support=off -s malloc,256m
#
# Keep varnish.vcl next to this file (it is included below): its backend "kade" is replica 1;
# kade2 is replica 2 (add kade3 … the same way). Each backend has varnish.vcl's health probe
# (/healthz), so a replica that is down or restarting gets no requests until it answers again.
# Replicas are stateless: each loads the same bundle file; see docs/deploy.md for a rolling
# update of the bundle that fails no request.

import directors;

backend kade2 {
    .host = "127.0.0.1";
    .port = "8081";
    .connect_timeout = 1s;
    .first_byte_timeout = 10s;
    .probe = {
        .url = "/healthz";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
    }
}

sub vcl_init {
    new replicas = directors.round_robin();
    replicas.add_backend(kade);
    replicas.add_backend(kade2);
}

# Before varnish.vcl's vcl_recv (subroutines of the same name run in the order written), which
# ends in a return.
sub vcl_recv {
    set req.backend_hint = replicas.backend();
}

# A fetch that failed (connection refused or reset, a replica stopping) is tried once more; the
# director then picks the next replica.
sub vcl_backend_error {
    if (bereq.retries < 1 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
}

include "varnish.vcl";
