-- wrk script of the public lookup benchmark: GET /api/v1/public/dossiers/<code>, the code taken in turn from a
-- file of real dossier codes (one a line). Each wrk thread starts at its own place in the list, so with as many
-- codes as requests every lookup misses the cache (one database query each), and with a short list every
-- lookup after the first few is answered from the cache. The third argument moves every thread's start by that
-- fraction of the list, so that successive rounds ask for codes the previous round did not.
--
--   wrk -t2 -c64 -d15s -s lookup.lua http://127.0.0.1:8000 -- codes.txt 2 0.25

local next_index = 0
local codes = {}
local position = 0

function setup(thread)
  thread:set("thread_index", next_index)
  next_index = next_index + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then codes[#codes + 1] = line end
  end
  local threads = tonumber(args[2] or "1")
  local offset = tonumber(args[3] or "0")
  position = math.floor(#codes * (((thread_index or 0) / threads + offset) % 1))
end

function request()
  position = position % #codes + 1
  return wrk.format("GET", "/api/v1/public/dossiers/" .. codes[position])
end
