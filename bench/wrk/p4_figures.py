"""P4 figures from two wrk outputs (straight to file-service, through the gateway): req/s, p99, non-2xx."""
import re, sys
def figures(text):
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
    m = re.search(r"99%\s+([0-9.]+)(us|ms|s)\b", text)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, p99, int(non2xx.group(1)) if non2xx else 0
d, g = figures(sys.argv[1]), figures(sys.argv[2])
print(f"P4 /file/info  direct {d[0]:8.0f} req/s p99 {d[1]:6.1f} ms | gateway {g[0]:8.0f} req/s p99 {g[1]:6.1f} ms"
      f" | ratio {g[0] / d[0]:.2f} (goal >= 0.70, p99 <= 20 ms); non-2xx: direct {d[2]}, gateway {g[2]}")
