-- wrk script: print the 50th, 90th, 95th and 99th latency percentiles in milliseconds (wrk's own --latency
-- report has no 95th). Used by bench/portal/run.py.
done = function(summary, latency, requests)
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("PCT %d %.3f\n", p, latency:percentile(p) / 1000.0))
  end
end
