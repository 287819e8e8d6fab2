import { describe, expect, it } from "vitest";
import { decidePackageRequest, isDebianArchiveHost } from "./archive-hosts";

describe("the package-cache gateway's rules", () => {
  it("passes reads of Debian's archive on, exactly as checked", () => {
    for (const method of ["GET", "HEAD"]) {
      expect(decidePackageRequest(method, "http://deb.debian.org/debian/dists/bookworm/InRelease")).toEqual({
        action: "forward",
        url: "http://deb.debian.org/debian/dists/bookworm/InRelease",
        host: "deb.debian.org",
      });
    }
    expect(decidePackageRequest("GET", "http://security.debian.org/debian-security/dists/bookworm-security/InRelease").action).toBe(
      "forward",
    );
    expect(decidePackageRequest("GET", "http://DEB.debian.org/debian/../debian/pool/x.deb")).toMatchObject({
      action: "forward",
      url: "http://deb.debian.org/debian/pool/x.deb",
    });
    expect(decidePackageRequest("GET", "http://ftp.de.debian.org/debian/pool/main/f/figlet/x.deb").action).toBe("forward");
  });

  it.each([
    "http://example.com/debian/dists/bookworm/InRelease",
    "http://deb.debian.org.evil.example/debian/",
    "http://evil-deb.debian.org.example/",
    "http://deb.debian.org:8080/debian/",
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1:3142/acng-report.html",
    "http://debian.org/",
    "http://ftp.evil.debian.org/",
  ])("refuses any other host (%s): it is no open proxy", (target) => {
    expect(decidePackageRequest("GET", target)).toMatchObject({
      action: "refuse",
      status: 403,
      message: expect.stringContaining("http_proxy"),
    });
  });

  it("refuses tunnels, writes, https, credentials and requests not in a proxy's form, saying why", () => {
    expect(decidePackageRequest("CONNECT", "deb.debian.org:443")).toMatchObject({
      status: 405,
      message: expect.stringContaining("http://deb.debian.org"),
    });
    expect(decidePackageRequest("POST", "http://deb.debian.org/debian/")).toMatchObject({ status: 405 });
    expect(decidePackageRequest("GET", "https://deb.debian.org/debian/")).toMatchObject({ status: 400 });
    expect(decidePackageRequest("GET", "http://user:pw@deb.debian.org/debian/")).toMatchObject({ status: 400 });
    expect(decidePackageRequest("GET", "/debian/dists/bookworm/InRelease")).toMatchObject({
      status: 400,
      message: expect.stringContaining("http_proxy"),
    });
  });

  it("knows Debian's archive hosts by name only", () => {
    expect(["deb.debian.org", "security.debian.org", "ftp.debian.org", "ftp.fr.debian.org"].every(isDebianArchiveHost)).toBe(true);
    expect(["www.debian.org", "deb.debian.org.", "xdeb.debian.org", "ftp.fra.debian.org"].some(isDebianArchiveHost)).toBe(false);
  });
});
