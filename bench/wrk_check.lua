-- wrk script for bench/dashboards.py: counts responses that are not what the page should be
-- (status other than EXPECT_STATUS, or a body without EXPECT_TEXT), reported as "bad: N".
local expected = tonumber(os.getenv("EXPECT_STATUS") or "200")
local marker = os.getenv("EXPECT_TEXT")
local threads = {}
bad = 0

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status ~= expected or (marker and marker ~= "" and not string.find(body, marker, 1, true)) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("bad") or 0)
  end
  io.write(string.format("bad: %d\n", total))
end
