vcl 4.1;
#
# Varnish in front of Newsroom's gunicorn (docs/caching.md, "Varnish").
#
# - Anonymous GET/HEAD requests are cached for as long as the page's own
#   Cache-Control allows (s-maxage, then max-age). Newsroom marks only public
#   pages "public"; anything else (private, no-store, no Cache-Control at all,
#   or a Set-Cookie) is passed through and never stored.
# - The admin, and any request carrying Django's session or messages cookie,
#   go straight to Django. Other cookies cannot change a public page, so they
#   are dropped before the lookup (otherwise every reader with one would miss).
# - Newsroom tells Varnish about changes (NEWSROOM_PURGE_BACKEND=http,
#   NEWSROOM_PURGE_URLS=http://127.0.0.1:6081): "PURGE /path" removes one
#   page; "BAN /" with an X-Url header (a regular expression over paths with
#   their query strings) removes every page it matches. Both are accepted only
#   from the addresses in the "purgers" ACL.
# - Headers that change a page's links but are not in the cache key are the
#   client's own words: the scheme headers other than X-Forwarded-Proto, and
#   SCRIPT_NAME-like ones, are removed. X-Forwarded-Proto is the one the TLS
#   proxy sets (and overwrites); it is kept as "https" or nothing, and copies
#   vary on it, so a client talking to Varnish directly gets a copy of its own.
# - X-Cache: HIT or MISS on every answer, to see what happened.
#
# Run: varnishd -a :6081 -f /path/to/default.vcl -s malloc,256m
# Set the backend below to where gunicorn listens.

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: the machines that run Newsroom. Add your app servers here.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    unset req.http.X-Forwarded-Ssl;
    unset req.http.X-Forwarded-Protocol;
    unset req.http.X-Forwarded-Scheme;
    unset req.http.X-Url-Scheme;
    unset req.http.Front-End-Https;
    unset req.http.X-Forwarded-Host;
    unset req.http.X-Forwarded-Port;
    unset req.http.X-Forwarded-Prefix;
    unset req.http.X-Script-Name;
    unset req.http.SCRIPT_NAME;
    unset req.http.PATH_INFO;
    unset req.http.REMOTE_USER;
    if (req.http.X-Forwarded-Proto != "https") {
        unset req.http.X-Forwarded-Proto;
    }
    if (req.method == "PURGE" || req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed."));
        }
        if (req.method == "PURGE") {
            return (purge);
        }
        if (!req.http.X-Url) {
            return (synth(400, "BAN needs an X-Url header."));
        }
        # Only obj.* in the expression: the ban lurker can then evict in the background.
        ban("obj.http.x-url ~ " + req.http.X-Url);
        return (synth(200, "Banned."));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin(/|$)" || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;)\s*(sessionid|messages)=") {
        return (pass);
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Kept with the object so BANs can match it by URL.
    set beresp.http.x-url = bereq.url;
    # Pages link to their own scheme: one copy for https, one for http. A PURGE removes both.
    if (beresp.http.Vary) {
        set beresp.http.Vary = beresp.http.Vary + ", X-Forwarded-Proto";
    } else {
        set beresp.http.Vary = "X-Forwarded-Proto";
    }
    if (beresp.http.Cache-Control !~ "(^|,)\s*public\b" || beresp.http.Set-Cookie) {
        # Not for sharing: remember for a while that this URL is to be fetched every time.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # When a copy expires, the next reader may get it for a few seconds more while a
    # fresh one is fetched, instead of waiting. Purged and banned copies are never used.
    set beresp.grace = 10s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-url;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
