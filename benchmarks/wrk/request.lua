-- wrk request script for benchmarks/load.sh. The environment chooses the request, so every target
-- gets byte-for-byte the same one:
--   WRK_METHOD      GET or POST (default GET)
--   WRK_BODY_BYTES  body size in bytes for POST (default 0: no body)
--   WRK_TOKEN       bearer token sent as "Authorization: Bearer <token>" (sent to every target;
--                   only HAProxy and the gateway check it)
local method = os.getenv("WRK_METHOD") or "GET"
local bytes = tonumber(os.getenv("WRK_BODY_BYTES") or "0")
local token = os.getenv("WRK_TOKEN")

wrk.method = method
if bytes > 0 then
  wrk.body = string.rep("x", bytes)
  wrk.headers["Content-Type"] = "application/x-protobuf"
end
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
