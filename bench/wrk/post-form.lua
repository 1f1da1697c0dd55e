-- wrk script: POST the form in the environment variable BODY; extra headers from HEADERS ("Name: value|Name: value").
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local extra = os.getenv("HEADERS") or ""
for name, value in string.gmatch(extra, "([^:|]+):%s*([^|]+)") do
  wrk.headers[name] = value
end
