-- wrk script: every connection pauses BENCH_PAUSE_MS before each request, so that 50 connections
-- send about 50 / pause requests a second instead of as many as the server can answer. wrk measures
-- a request's latency from sending it, so the pause is not counted in it.
local pause = tonumber(os.getenv("BENCH_PAUSE_MS") or "0")

function delay()
  return pause
end
