// The floor for `npm run bench`: a bare Node HTTP server answering every request with a fixed 200.
// Measured in the same run as Stratus, it shows what HTTP alone costs on this machine right now.
import http from 'node:http';

http
  .createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': 2 });
      res.end('{}');
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
