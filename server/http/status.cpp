#include "server/http/status.hpp"

#include <array>

namespace kade::http {
namespace {

constexpr std::array<status_text, 18> table = {{
    {200, "OK", ""},
    {204, "No Content", ""},
    {206, "Partial Content", ""},
    {301, "Moved Permanently", ""},
    {304, "Not Modified", ""},
    {400, "Bad Request", "Dit verzoek is ongeldig."},
    {404, "Not Found", "Er ging iets mis."},
    {405, "Method Not Allowed", "Deze methode wordt hier niet ondersteund."},
    {406, "Not Acceptable", "Geen van de gevraagde coderingen is beschikbaar."},
    {408, "Request Timeout", "Er ging iets mis."},
    {413, "Content Too Large", "Verzoeken met een inhoud worden niet aangenomen."},
    {414, "URI Too Long", "Het adres is te lang."},
    {416, "Range Not Satisfiable", "Dat deel van de pagina bestaat niet."},
    {431, "Request Header Fields Too Large", "De kopregels van het verzoek zijn te groot."},
    {500, "Internal Server Error", "Er ging iets mis."},
    {503, "Service Unavailable", "Er ging iets mis."},
    {505, "HTTP Version Not Supported", "Deze server spreekt HTTP/1.0 en HTTP/1.1."},
    {0, "Unknown", "Er ging iets mis."},  // the fallback, last
}};

}  // namespace

const status_text& status_of(unsigned code) {
    for (const auto& s : table)
        if (s.code == code) return s;
    return table.back();
}

}  // namespace kade::http
