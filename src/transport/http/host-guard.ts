/**
 * DNS-rebinding protection: a browser on a hostile page can reach 127.0.0.1, but it sends that page's Host and
 * Origin. Only the names this server was told it is reachable by are accepted.
 */
export interface HostGuard {
  check(host: string | undefined, origin: string | undefined): { ok: true } | { ok: false; reason: string };
}

export function hostGuard(port: number, extraHosts: readonly string[] = []): HostGuard {
  const names = ['127.0.0.1', 'localhost', '[::1]', ...extraHosts];
  const hosts = new Set(names.flatMap((n) => [n, `${n}:${port}`]));
  const origins = new Set(
    names.flatMap((n) => [`http://${n}:${port}`, `https://${n}:${port}`, `http://${n}`, `https://${n}`]),
  );
  return {
    check(host, origin) {
      if (!host || !hosts.has(host.toLowerCase()))
        return { ok: false, reason: `Host ${JSON.stringify(host ?? '')} is not allowed` };
      if (origin !== undefined && origin !== 'null' && !origins.has(origin.toLowerCase()))
        return { ok: false, reason: `Origin ${JSON.stringify(origin)} is not allowed` };
      if (origin === 'null') return { ok: false, reason: 'Origin null is not allowed' };
      return { ok: true };
    },
  };
}
