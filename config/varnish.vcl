vcl 4.1;
# Varnish 7.1 (Debian 12: varnish, varnish-modules) in front of kade-serve.
#
#   varnishd -a 127.0.0.1:6081 -f /path/to/varnish.vcl -p http_gzip_support=off -s malloc,256m
#
# http_gzip_support=off, on purpose. With it on, Varnish rewrites every backend request's
# Accept-Encoding to "gzip", stores only gzip and gunzips for clients that do not take it: dcz
# would never reach a client, and identity clients would cost Varnish CPU on every hit. Kade
# already holds gzip precompressed (and identity, derived from it), with a strong ETag each,
# so Varnish just keeps what Kade sends: Accept-Encoding is normalised below to one of two
# values (and "dcz, " in front for clients holding a compression dictionary) and Kade's own
# Vary then keys at most two variants per URL, plus one per dictionary for dcz clients.
#
# Kade's backend port goes in the backend below (the test writes a copy with its own port).

import std;
import xkey;

backend kade {
    .host = "127.0.0.1";
    .port = "8080";
    .connect_timeout = 1s;
    .first_byte_timeout = 10s;
    # The probe tells stale-if-error (serve old copies while Kade is down) from
    # stale-while-revalidate (serve old copies while fetching a new one).
    .probe = {
        .url = "/healthz";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
    }
}

# Who may PURGE. Deploy scripts run on the cache host.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Deploy: `kade-index --diff OLD NEW` lists the purge keys of every page that changed;
    #   curl -X PURGE -H "xkey: $(kade-index --diff old.kade new.kade | tr '\n' ' ')" host/
    # A page carries the keys of everything it shows (a post page also "post-…" of the posts
    # it links to), so those keys reach pages whose bytes did not change too. Hence a soft
    # purge: the objects expire but stay for revalidation, the next request asks Kade with
    # If-None-Match, and an unchanged page comes back as a 304 without a body: only the
    # changed pages are fetched again. Within stale-while-revalidate one visitor may get the
    # old copy while that happens, as with Fastly's soft purge. "xkey-purge" removes at once.
    # Without varnish-modules: drop "import xkey" and ban on the stored header instead, e.g.
    #   ban("obj.http.Surrogate-Key ~ (^| )(post-abc|home)( |$)");
    # (bans are checked lazily against every object; xkey finds the objects by key at once).
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey) {
            set req.http.n-gone = xkey.softpurge(req.http.xkey);
        } else if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        } else {
            return (synth(400, "PURGE needs an xkey (soft) or xkey-purge (hard) header"));
        }
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    # Kade answers OPTIONS, 405s and 413s itself; nothing but GET and HEAD is cached.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    # Accept-Encoding → "gzip" or nothing (identity), so the cache holds at most two variants.
    # Kade keeps no zstd copies of pages (every client that takes zstd takes gzip too). A
    # coding counts when listed without q=0 (RFC 9110 §12.5.3); "*" counts as gzip unless gzip
    # itself is refused. "identity;q=0" with nothing else acceptable becomes identity here
    # rather than Kade's 406.
    # dcz (RFC 9842: zstd with the dictionary the client names in Available-Dictionary) is
    # kept apart: a client that takes dcz and sends Available-Dictionary keeps "dcz, " in front
    # of its normalised value, and Kade's "Vary: Accept-Encoding, Available-Dictionary" keys
    # the stored copy by the dictionary too, so a dcz body only ever reaches a client that
    # holds that dictionary. Everyone else has Available-Dictionary removed: one copy each.
    set req.http.X-Kade-Dcz = "";
    if (req.http.Available-Dictionary &&
        req.http.Accept-Encoding ~ "(?i)(^|,)\s*dcz\s*(,|$|;\s*q\s*=\s*(1|0\.0*[1-9]))") {
        set req.http.X-Kade-Dcz = "dcz, ";
    } else {
        unset req.http.Available-Dictionary;
    }
    if (req.http.Accept-Encoding) {
        if (req.http.Accept-Encoding ~ "(?i)(^|,)\s*(x-)?gzip\s*(,|$|;\s*q\s*=\s*(1|0\.0*[1-9]))" ||
            (req.http.Accept-Encoding ~ "(^|,)\s*\*\s*(,|$|;\s*q\s*=\s*(1|0\.0*[1-9]))" &&
             req.http.Accept-Encoding !~ "(?i)(^|,)\s*(x-)?gzip\s*;")) {
            set req.http.Accept-Encoding = "gzip";
        } else {
            unset req.http.Accept-Encoding;
        }
    }
    if (req.http.X-Kade-Dcz != "") {
        set req.http.Accept-Encoding = req.http.X-Kade-Dcz + req.http.Accept-Encoding;
    }
    unset req.http.X-Kade-Dcz;

    # A request restarted by vcl_hit (see there) must not be answered from a stale copy.
    if (req.restarts == 0) {
        unset req.http.X-Kade-Refresh;
    } else if (req.http.X-Kade-Refresh) {
        set req.grace = 0s;
    }

    # Kade sets no cookies and reads none: a cookie must not turn pages into passes.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_hit {
    # Grace is stale-if-error (the longer window, for when Kade is down). Past
    # stale-while-revalidate with Kade up, fetch now instead of serving the stale copy: the
    # restart looks up again with req.grace = 0s, misses, and revalidates (If-None-Match → 304).
    if (obj.ttl <= 0s && obj.ttl + std.duration(obj.http.X-Kade-SWR, 0s) <= 0s &&
        std.healthy(req.backend_hint) && req.restarts == 0) {
        set req.http.X-Kade-Refresh = "1";
        return (restart);
    }
}

sub vcl_backend_response {
    # Kade's CDN lifetimes are in CDN-Cache-Control (RFC 9213), which Varnish 7.1 does not read
    # by itself; Cache-Control stays for browsers. Without CDN-Cache-Control (assets, errors)
    # Varnish's own reading of Cache-Control max-age applies.
    set beresp.http.X-Kade-SWR = "0s";
    if (beresp.http.CDN-Cache-Control) {
        if (beresp.http.CDN-Cache-Control ~ "(?i)(^|,)\s*(no-store|private|no-cache)\s*(,|$|=)") {
            set beresp.uncacheable = true;
            set beresp.ttl = 120s;
            return (deliver);
        }
        if (beresp.http.CDN-Cache-Control ~ "(?i)(^|,)\s*max-age\s*=\s*\d+") {
            set beresp.ttl = std.duration(regsub(beresp.http.CDN-Cache-Control,
                "(?i)^(.*,)?\s*max-age\s*=\s*(\d+).*$", "\2s"), 0s);
        }
    }
    # stale-while-revalidate and stale-if-error, from CDN-Cache-Control, else Cache-Control.
    if (beresp.http.CDN-Cache-Control) {
        set beresp.http.X-Kade-CC = beresp.http.CDN-Cache-Control;
    } else {
        set beresp.http.X-Kade-CC = beresp.http.Cache-Control;
    }
    if (beresp.http.X-Kade-CC ~ "(?i)stale-while-revalidate\s*=\s*\d+") {
        set beresp.http.X-Kade-SWR = regsub(beresp.http.X-Kade-CC,
            "(?i)^.*stale-while-revalidate\s*=\s*(\d+).*$", "\1s");
    }
    set beresp.grace = std.duration(beresp.http.X-Kade-SWR, 0s);
    if (beresp.http.X-Kade-CC ~ "(?i)stale-if-error\s*=\s*\d+") {
        set beresp.grace = std.duration(regsub(beresp.http.X-Kade-CC,
            "(?i)^.*stale-if-error\s*=\s*(\d+).*$", "\1s"), 0s);
    }
    unset beresp.http.X-Kade-CC;
    # Kept past grace only to revalidate: the next fetch sends If-None-Match with the stored
    # ETag and a 304 from Kade refreshes the copy without a body.
    set beresp.keep = 1d;

    # Purge keys for xkey (it reads the xkey header; Kade's Surrogate-Key is space-separated).
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # No return: Varnish's built-in rules follow (no-store, private, Set-Cookie → not cached).
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.X-Kade-SWR;
    # For operators and tests: whether the answer came from the cache.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Age counts from Kade's response, so a browser's max-age (Cache-Control, shorter than
    # the CDN's) runs out early on an old cached copy; its stale-while-revalidate covers that.
}
