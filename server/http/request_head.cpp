#include "server/http/request_head.hpp"

#include <cstdint>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

namespace kade::http {
namespace {

namespace bhttp = boost::beast::http;
using boost::beast::error_code;

bool inside(std::string_view part, std::string_view whole) {
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// A Host value (RFC 9112 §3.2): uri-host [ ":" port ] of RFC 3986 §3.2.2, or empty (sent for a
// target without an authority). A reg-name may not hold a comma here, though RFC 3986 allows
// one: "a,b" is what two Host fields look like once a proxy joins them (RFC 9110 §5.3).
bool is_valid_host(std::string_view v) {
    const auto unreserved_or_sub_delim = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("-._~!$&'()*+;=").find(c) != std::string_view::npos;
    };
    const auto hex = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    std::size_t i = 0;
    if (!v.empty() && v[0] == '[') {  // IP-literal: IPv6 or IPvFuture, checked loosely
        const auto close = v.find(']');
        if (close == std::string_view::npos || close == 1) return false;
        for (i = 1; i < close; ++i)
            if (!unreserved_or_sub_delim(v[i]) && v[i] != ':') return false;
        i = close + 1;
    } else {  // reg-name, which includes IPv4address
        while (i < v.size() && v[i] != ':') {
            if (v[i] == '%') {
                if (i + 2 >= v.size() || !hex(v[i + 1]) || !hex(v[i + 2])) return false;
                i += 3;
            } else if (unreserved_or_sub_delim(v[i])) {
                ++i;
            } else {
                return false;
            }
        }
    }
    if (i == v.size()) return true;
    if (v[i] != ':') return false;
    for (++i; i < v.size(); ++i)
        if (v[i] < '0' || v[i] > '9') return false;
    return true;
}

// Beast's parser does the grammar (request line, fields, line endings, Content-Length); the
// callbacks keep views of what the server reads, without storing any field, and add the
// refusals Beast leaves to its user.
class head_parser final : public bhttp::basic_parser<true> {
  public:
    head_parser(std::string_view input, const head_limits& limits, request& req,
                std::array<std::string, 7>& joined)
        : input_(input), limits_(limits), req_(req), joined_(joined) {}

    unsigned refused = 0;  // a status decided here; the parse stops
    bool request_line = false;
    bool host = false;
    bool transfer_encoding = false;  // the field is present, whatever its value

  private:
    void on_request_impl(bhttp::verb verb, boost::beast::string_view method_name,
                         boost::beast::string_view target, int version, error_code& ec) override {
        request_line = true;
        if (version / 10 != 1) return refuse(505, ec);
        if (target.size() > limits_.max_uri_bytes) return refuse(414, ec);
        req_ = request{};
        req_.method_name = method_name;
        req_.verb = verb == bhttp::verb::get       ? method::get
                    : verb == bhttp::verb::head    ? method::head
                    : verb == bhttp::verb::options ? method::options
                                                   : method::other;
        req_.target = target;
        req_.version = version == 10 ? 10 : 11;  // 1.2 and later minors are read as 1.1
    }

    void on_field_impl(bhttp::field name, boost::beast::string_view name_string,
                       boost::beast::string_view v, error_code& ec) override {
        if (++count_ > limits_.max_header_count) return refuse(431, ec);
        const std::string_view value = v;
        // Beast unfolds obs-fold into a buffer of its own; RFC 9112 §5.2 lets a server refuse
        // it, and a proxy in front may read the fold differently.
        if (!inside(value, input_)) return refuse(400, ec);
        std::size_t k;
        switch (name) {
            case bhttp::field::host:
                if (host || !is_valid_host(value)) return refuse(400, ec);  // §3.2: exactly one
                host = true;
                return;
            case bhttp::field::transfer_encoding:
                transfer_encoding = true;
                return;
            case bhttp::field::accept_encoding:
                k = 0;
                break;
            case bhttp::field::if_none_match:
                k = 1;
                break;
            case bhttp::field::if_modified_since:
                k = 2;
                break;
            case bhttp::field::range:
                k = 3;
                break;
            case bhttp::field::if_range:
                k = 4;
                break;
            case bhttp::field::unknown:  // Beast has no X-Forwarded-For, Available-Dictionary
                if (boost::beast::iequals(name_string, "x-forwarded-for")) {
                    k = 5;
                } else if (boost::beast::iequals(name_string, "available-dictionary")) {
                    k = 6;
                } else {
                    return;
                }
                break;
            default:
                return;
        }
        std::optional<std::string_view>* const slots[7] = {
            &req_.accept_encoding, &req_.if_none_match, &req_.if_modified_since,   &req_.range,
            &req_.if_range,        &req_.forwarded_for, &req_.available_dictionary};
        std::optional<std::string_view>& slot = *slots[k];
        if (!slot) {
            slot = value;
            return;
        }
        // A repeated field is one comma-separated list (RFC 9110 §5.3).
        std::string& storage = joined_[k];
        if (slot->data() != storage.data()) storage.assign(*slot);  // the first repeat
        storage += ", ";
        storage += value;
        slot = std::string_view(storage);
    }

    void refuse(unsigned status, error_code& ec) {
        refused = status;
        ec = bhttp::error::bad_value;
    }

    // Responses and bodies never reach this parser (eager off: it stops after the header).
    void on_response_impl(int, boost::beast::string_view, int, error_code&) override {}
    void on_header_impl(error_code&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
    std::size_t on_body_impl(boost::beast::string_view s, error_code&) override { return s.size(); }
    void on_chunk_header_impl(std::uint64_t, boost::beast::string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view s,
                                   error_code&) override {
        return s.size();
    }
    void on_finish_impl(error_code&) override {}

    std::string_view input_;
    const head_limits& limits_;
    request& req_;
    std::array<std::string, 7>& joined_;
    std::size_t count_ = 0;
};

head_result fail(unsigned status) {
    return {head_result::kind::error, 0, status};
}

// Over the byte limit: 414 when the request line alone passes it, else 431.
head_result over_limit(std::string_view head, std::size_t limit) {
    const auto eol = head.find("\r\n");
    return fail(eol == std::string_view::npos || eol + 2 > limit ? 414 : 431);
}

// Beast waits for "\r\n\r\n" before it parses anything, so a bare LF, which RFC 9112 §2.2
// lets a server refuse, would only end at the limit or the timeout.
bool has_bare_lf(std::string_view s) {
    for (auto i = s.find('\n'); i != std::string_view::npos; i = s.find('\n', i + 1))
        if (i == 0 || s[i - 1] != '\r') return true;
    return false;
}

// Beast reports any version but 1.x as bad_version; another major version is 505.
unsigned bad_version_status(std::string_view head) {
    const std::string_view line = head.substr(0, head.find("\r\n"));
    const auto v = line.rfind(" HTTP/");
    if (v == std::string_view::npos || line.size() != v + 9) return 400;
    const std::string_view d = line.substr(v + 6);
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    return digit(d[0]) && d[1] == '.' && digit(d[2]) && d[0] != '1' ? 505 : 400;
}

}  // namespace

head_result parse_request_head(std::string_view buf, const head_limits& limits, request& req,
                               std::array<std::string, 7>& joined) {
    const std::size_t limit = limits.max_header_bytes;
    // Empty lines before a request line are ignored (RFC 9112 §2.2), within the same limit.
    std::size_t start = 0;
    while (start + 1 < buf.size() && buf[start] == '\r' && buf[start + 1] == '\n') start += 2;
    if (start >= limit) return fail(400);
    const std::string_view head = buf.substr(start);
    if (head.empty()) return {};

    head_parser p(head, limits, req, joined);
    p.header_limit(static_cast<std::uint32_t>(limit));
    p.eager(false);  // the header only: a body is refused, never read
    error_code ec;
    const std::size_t n = p.put(boost::asio::const_buffer(head.data(), head.size()), ec);
    if (p.refused) return fail(p.refused);
    if (ec == bhttp::error::need_more) {
        if (has_bare_lf(head)) return fail(400);
        if (head.size() >= limit) return over_limit(head, limit);
        return {};
    }
    if (ec == bhttp::error::header_limit || (!ec && n > limit)) return over_limit(head, limit);
    if (ec == bhttp::error::bad_version) return fail(bad_version_status(head));
    if (ec || !p.is_header_done()) return fail(400);
    if (req.version == 11 && !p.host) return fail(400);
    // Transfer-Encoding whose final coding is not chunked ("gzip", "chunked, gzip", "",
    // "\"chunked\"", …): the body's length cannot be known, so the bytes after the head must not
    // be read as another request; a server MUST answer 400 and close (RFC 9112 §6.3). Beast
    // only marks the message chunked when chunked is last and otherwise ignores the field.
    // HTTP/1.0 has no transfer codings: its framing is faulty whatever the value (§6.1).
    if (p.transfer_encoding && (!p.chunked() || req.version == 10)) return fail(400);
    // Bodies are refused by type: no route takes one. A method no route takes hears so first,
    // as it would without a body. (Beast refuses Content-Length together with chunked, the
    // framing conflict requests are smuggled with, as bad_transfer_encoding.)
    if (p.chunked() || p.content_length().value_or(0) > 0)
        return fail(req.verb == method::other ? 405 : 413);
    req.keep_alive = p.keep_alive();
    return {head_result::kind::complete, start + n, 0};
}

}  // namespace kade::http
