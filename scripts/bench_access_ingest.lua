-- ../shared/bench/ingest.lua with an Authorization header (BENCH_AUTHORIZATION): that script passes its own header
-- table to wrk.format, which would drop wrk's -H headers.
dofile(os.getenv("BENCH_INGEST_LUA"))
local auth = os.getenv("BENCH_AUTHORIZATION")
if auth and auth ~= "" then
  local format = wrk.format
  wrk.format = function(method, path, headers, body)
    local merged = {["Authorization"] = auth}
    for k, v in pairs(headers or {}) do merged[k] = v end
    return format(method, path, merged, body)
  end
end
