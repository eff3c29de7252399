-- wrk script for P4: every request posts a reply to one discussion thread as a
-- logged-in member. THREAD and COOKIE come from the environment (bench/http.sh).
local thread = os.getenv("THREAD")
local cookie = os.getenv("COOKIE")
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Cookie"] = cookie

request = function()
  n = n + 1
  local body = "thread_id=" .. thread .. "&confirm_personal=on&body=Svar+nummer+" .. n ..
    "+fr%C3%A5n+belastningsprovet%2C+om+handledning+f%C3%B6rsta+veckan."
  return wrk.format(nil, nil, nil, body)
end
