-- wrk request script for benchmarks/load.sh, memory.sh and soak.sh. The environment chooses the
-- request, so every target gets byte-for-byte the same one:
--   WRK_METHOD      GET or POST (default GET)
--   WRK_BODY_BYTES  body size in bytes for POST (default 0: no body)
--   WRK_TOKEN       bearer token sent as "Authorization: Bearer <token>" (sent to every target;
--                   only HAProxy and the gateway check it)
--   WRK_CLOSE       1: send "Connection: close", so every request opens a new connection (and over
--                   TLS makes a full handshake: wrk does not resume sessions); tls-load.sh
--   WRK_EXPECT      optional status every answer must have (soak.sh): answers with another status
--                   are counted, and done() prints "UNEXPECTED <n> of <answers>" and the statuses
--                   seen. Unset, no response() hook is defined, which keeps wrk at full speed.
local method = os.getenv("WRK_METHOD") or "GET"
local bytes = tonumber(os.getenv("WRK_BODY_BYTES") or "0")
local token = os.getenv("WRK_TOKEN")
local expect = tonumber(os.getenv("WRK_EXPECT") or "")
local close = os.getenv("WRK_CLOSE") == "1"

wrk.method = method
if bytes > 0 then
  wrk.body = string.rep("x", bytes)
  wrk.headers["Content-Type"] = "application/x-protobuf"
end
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

if close then
  wrk.headers["Connection"] = "close"
end

if expect ~= nil then
  local threads = {}

  function setup(thread)
    table.insert(threads, thread)
  end

  function init(args)
    answers = 0
    unexpected = 0
    statuses = {}
  end

  function response(status, headers, body)
    answers = answers + 1
    if status ~= expect then
      unexpected = unexpected + 1
      statuses[status] = (statuses[status] or 0) + 1
    end
  end

  function done(summary, latency, requests)
    local total, bad, seen = 0, 0, {}
    for _, thread in ipairs(threads) do
      total = total + thread:get("answers")
      bad = bad + thread:get("unexpected")
      for status, n in pairs(thread:get("statuses")) do
        seen[status] = (seen[status] or 0) + n
      end
    end
    local list = {}
    for status, n in pairs(seen) do
      table.insert(list, status .. "x" .. n)
    end
    io.write(string.format("UNEXPECTED %d of %d answers (expected %d; seen instead: %s)\n",
      bad, total, expect, #list > 0 and table.concat(list, " ") or "none"))
  end
end
