-- wrk script for P6: one request every ~20 ms per connection (a person reading pages),
-- so that the page's latency is measured on a server that is not saturated by the
-- measurement itself. COOKIE comes from the environment (bench/http.sh).
wrk.headers["Cookie"] = os.getenv("COOKIE")

function delay()
  return 20
end
