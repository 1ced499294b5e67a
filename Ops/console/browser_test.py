#!/usr/bin/env python3
"""Drives Kennel's web console in headless Chromium (see Ops/console/run)."""
import argparse
import json
import os
import sys
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from axe_selenium_python import Axe

# A page that refreshes itself (the machine page while an operation runs) can replace an element
# between finding it and reading it: a wait tries again rather than failing.
PAGE_RELOADS = (StaleElementReferenceException,)

DESKTOP = (1280, 800)
PHONE = (390, 844)
# axe rules that must never fail on any page: contrast, labels, names, structure.
REQUIRED_RULES = {
    "color-contrast", "label", "select-name", "button-name", "link-name", "document-title", "html-has-lang",
    "duplicate-id", "duplicate-id-aria", "aria-valid-attr-value", "form-field-multiple-labels", "image-alt",
}


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)
    print(f"  ok: {message}")


class Console:
    def __init__(self, base, screenshots):
        self.base = base
        self.screenshots = screenshots
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--force-device-scale-factor=1",
                     "--lang=en-US"]:
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.size(*DESKTOP)
        self.wait = WebDriverWait(self.driver, 20, ignored_exceptions=PAGE_RELOADS)
        self.axe_failures = []

    def size(self, width, height):
        # The viewport, not the window: set the window so that the page gets width x height.
        self.driver.set_window_size(width, height)
        inner = self.driver.execute_script("return [window.innerWidth, window.innerHeight]")
        self.driver.set_window_size(width + (width - inner[0]), height + (height - inner[1]))

    def get(self, path):
        self.driver.get(self.base + path)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self):
        return self.find("main").text

    def shot(self, name, phone_too=True):
        """Screenshots of the whole page at desktop size (and phone size), and an axe run."""
        self.audit(name)
        for label, (width, height) in [("desktop", DESKTOP)] + ([("phone", PHONE)] if phone_too else []):
            self.size(width, height)
            time.sleep(0.2)
            full = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(self.driver.get_window_size()["width"], min(max(full + 140, height), 4000))
            time.sleep(0.1)
            path = os.path.join(self.screenshots, f"{name}-{label}.png")
            self.driver.save_screenshot(path)
            # Nothing may stick out sideways at this width (the page scrolls down, not across).
            overflow = self.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            check(overflow <= 1, f"{name} fits {width}px wide without sideways scrolling (overflow {overflow}px)")
        self.size(*DESKTOP)

    def audit(self, name):
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run(options={"resultTypes": ["violations"]})
        bad = [v for v in results["violations"] if v["id"] in REQUIRED_RULES or v.get("impact") in ("serious", "critical")]
        for violation in bad:
            nodes = "; ".join(n["target"][0] if n["target"] else "?" for n in violation["nodes"][:5])
            self.axe_failures.append(f"{name}: {violation['id']} ({violation.get('impact')}): {violation['help']} at {nodes}")
        others = [v["id"] for v in results["violations"] if v not in bad]
        print(f"  axe {name}: {len(bad)} serious, minor: {others or 'none'}")

    def sign_in(self, token):
        self.get("/ui/login")
        self.find("#token").send_keys(token)
        self.find("form button[type=submit]").click()
        self.wait.until(lambda d: "/ui/machines" in d.current_url)

    def sign_out(self):
        self.find("form.signout button").click()
        self.wait.until(lambda d: "/ui/login" in d.current_url)

    def post(self, path, fields):
        """POSTs a form from inside the page (as a hostile page script of this origin could): status code."""
        script = """
            const done = arguments[arguments.length - 1];
            fetch(arguments[0], {method: 'POST', body: new URLSearchParams(arguments[1]), redirect: 'manual'})
                .then(r => done(r.status)).catch(e => done(String(e)));
        """
        return self.driver.execute_async_script(script, path, fields)

    def wait_for(self, condition, message, timeout=20):
        try:
            WebDriverWait(self.driver, timeout, ignored_exceptions=PAGE_RELOADS).until(condition)
        except TimeoutException:
            raise Failure(f"timed out: {message}; the page says: {self.text()[:400]}")
        print(f"  ok: {message}")


def api(base, token, method, path, fields=None):
    data = None
    headers = {"Authorization": f"Bearer {token}"}
    if fields is not None:
        data = urllib.parse.urlencode(fields).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request) as response:
        body = response.read()
        return json.loads(body) if body else None


def run(base, admin, screenshots):
    # A viewer of team web, and a machine of that team for them to look at.
    api(base, admin, "POST", "/api/v1/teams", {"name": "web"})
    api(base, admin, "POST", "/api/v1/users", {"name": "vera", "role": "viewer"})
    api(base, admin, "POST", "/api/v1/teams/web/members", {"user": "vera"})
    viewer = api(base, admin, "POST", "/api/v1/tokens", {"name": "browser", "user": "vera"})["secret"]
    api(base, admin, "POST", "/api/v1/machines?wait=1", {"name": "db-01", "idc": "dc1", "team": "web", "service": "db", "memory": "2G"})
    for index in range(2, 8):
        api(base, admin, "POST", "/api/v1/machines", {"name": f"app-{index:02d}", "idc": "dc1", "service": "app", "team": "web"})

    console = Console(base, screenshots)
    try:
        print("sign-in")
        console.get("/ui/machines")
        check("/ui/login" in console.driver.current_url, "a signed-out visit goes to the sign-in page")
        console.shot("01-sign-in")
        console.find("#token").send_keys("kennel_" + "x" * 43)
        console.find("form button[type=submit]").click()
        console.wait_for(lambda d: "not accepted" in d.find_element(By.TAG_NAME, "main").text, "a wrong token is refused with a message")
        console.sign_in(admin)
        check("admin" in console.find("header").text, "signed in as admin")
        cookies = {c["name"]: c for c in console.driver.get_cookies()}
        session = cookies.get("kennel_session")
        check(session is not None and session["httpOnly"] and session.get("sameSite") == "Strict", "the session cookie is HttpOnly and SameSite=Strict")
        check(console.driver.execute_script("return document.cookie").find("kennel_session") < 0, "scripts cannot read the session cookie")

        print("request a machine: refused, then accepted")
        console.get("/ui/machines/new")
        console.shot("03-request-form")
        console.find("#in-name").send_keys("web-01")
        Select(console.find("#in-idc")).select_by_value("dc1")
        console.find("#in-memory").send_keys("lots")
        console.find("#in-service").send_keys("web")
        console.find("form.request button[type=submit]").click()
        console.wait_for(lambda d: d.find_elements(By.ID, "err-memory"), "the refused request comes back")
        error = console.find("#err-memory")
        check("lots" in error.text and error.is_displayed(), f"memory=lots is refused beside its field: {error.text!r}")
        check(console.find("#in-memory").get_attribute("aria-invalid") == "true", "the memory field is marked invalid")
        check("err-memory" in console.find("#in-memory").get_attribute("aria-describedby"), "the message is tied to the field")
        check(console.find("#in-name").get_attribute("value") == "web-01", "the entered name is kept")
        check(console.find("#in-service").get_attribute("value") == "web", "the entered service is kept")
        console.shot("04-request-refused")
        memory = console.find("#in-memory")
        memory.clear()
        memory.send_keys("512M")
        console.find("form.request button[type=submit]").click()
        console.wait_for(lambda d: d.current_url.endswith("/ui/machines/web-01"), "the machine page follows the request")
        console.wait_for(lambda d: d.find_element(By.ID, "machine-state").text == "running", "the machine runs", timeout=30)
        ip = console.find("#machine-ip").text.split("/")[0]
        check(ip.count(".") == 3, f"the machine page shows its IP {ip}")
        console.shot("06-machine")
        console.get("/ui/machines")
        row = [r for r in console.finds("tbody tr") if r.text.startswith("web-01")]
        check(row and ip in row[0].text, "the machine appears in the list with its IP")
        console.shot("02-machines")
        console.get("/ui/machines?service=app&sort=name&dir=desc&per=25")
        names = [r.find_element(By.CSS_SELECTOR, "td a").text for r in console.finds("tbody tr")]
        check(names == sorted(names, reverse=True) and all(n.startswith("app-") for n in names) and len(names) == 6,
              f"filter and sort: {names}")

        print("resize")
        console.get("/ui/machines/web-01")
        console.find("#in-disk").send_keys("20G")
        console.find("form[action$='/resize'] button").click()
        console.wait_for(lambda d: d.find_element(By.ID, "machine-disk").text.startswith("20G"), "the disk shows 20G after the resize")
        console.wait_for(lambda d: not d.find_elements(By.ID, "progress"), "the page reloads itself when the resize ends")
        console.get("/ui/machines/web-01")
        console.find("#in-disk").send_keys("-1G")
        console.find("form[action$='/resize'] button").click()
        console.wait_for(lambda d: d.find_elements(By.ID, "err-disk"), "the refused resize comes back")
        check(console.find("#err-disk").is_displayed(), f"a bad size is refused beside its field: {console.find('#err-disk').text!r}")

        print("site pages")
        for name, path in [("07-pools", "/ui/pools"), ("08-pool", "/ui/pools/dc1-vlan100"), ("09-racks", "/ui/racks"),
                           ("10-spread", "/ui/spread?service=app"), ("11-placement", "/ui/placement?idc=dc1&memory=4G&service=app")]:
            console.get(path)
            check(console.driver.title.endswith("Kennel"), f"{path} renders")
            console.shot(name)
        console.get("/ui/placement?idc=dc1&memory=4G&service=app")
        check("It would go to" in console.text(), "placement explain names a host")

        print("import: upload, plan, apply")
        inventory = os.path.join(screenshots, "inventory.csv")
        with open(inventory, "w") as handle:
            handle.write("name,ip,cpus,memory,disk,idc,zone,service\n"
                         "imp-01,10.100.0.50,1,1G,10G,dc1,z1,imp\n"
                         "imp-02,10.100.0.51,1,lots,10G,dc1,z1,imp\n"
                         "imp-03,10.100.0.52,2,2G,10G,dc1,z2,imp\n")
        console.get("/ui/import")
        console.shot("14-import")
        console.find("#in-file").send_keys(os.path.abspath(inventory))
        console.find("form[action='/ui/import/plan'] button").click()
        console.wait_for(lambda d: "Import plan" in d.title, "the plan is shown")
        bad = console.finds("tr.row-error")
        check(len(bad) == 1 and "imp-02" in bad[0].text, "the row in error is highlighted")
        check([c.text for c in bad[0].find_elements(By.CSS_SELECTOR, "span.cell-error")] == ["memory"], "and its column named")
        console.shot("15-import-plan")
        console.find("input[name=partial]").click()
        console.find("form[action='/ui/import/apply'] button").click()
        console.wait_for(lambda d: "/ui/import/operations/" in d.current_url, "the apply runs as an operation")
        console.wait_for(lambda d: "succeeded" in d.find_element(By.TAG_NAME, "main").text, "the import succeeds", timeout=30)
        check("2 created" in console.text() and "1 error" in console.text(), f"its totals: {console.text()[:200]!r}")
        console.shot("16-import-done", phone_too=False)
        os.remove(inventory)

        print("a form without its token")
        console.get("/ui/machines")
        check(console.post("/ui/machines/web-01/stop", {}) == 403, "a form posted without its token is refused (403)")
        check(console.post("/ui/machines/web-01/stop", {"csrf": "forged"}) == 403, "a form with a wrong token is refused (403)")

        print("delete")
        console.get("/ui/machines/web-01")
        console.find("a.danger").click()
        console.wait_for(lambda d: "/confirm?action=delete" in d.current_url, "delete asks for confirmation")
        console.shot("12-confirm-delete", phone_too=False)
        console.find("#confirm-name").send_keys("web-01")
        console.find("form button.danger").click()
        console.wait_for(lambda d: "deleting=web-01" in d.current_url, "the list says the machine is being deleted")

        def gone(driver):
            driver.get(base + "/ui/machines")
            return not any(r.text.startswith("web-01") for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr"))
        console.wait_for(gone, "the machine is gone from the list")

        print("keyboard only")
        console.get("/ui/machines/new")
        body = console.find("body")
        body.send_keys(Keys.TAB)
        for _ in range(40):
            if console.driver.switch_to.active_element.get_attribute("id") == "in-name":
                break
            console.driver.switch_to.active_element.send_keys(Keys.TAB)
        active = console.driver.switch_to.active_element
        check(active.get_attribute("id") == "in-name", "Tab reaches the name field")
        active.send_keys("kb-01")
        active.send_keys(Keys.TAB)
        idc = console.driver.switch_to.active_element
        check(idc.get_attribute("id") == "in-idc", "Tab goes on to the IDC")
        idc.send_keys("d")  # type-ahead picks dc1
        idc.send_keys(Keys.TAB)
        check(console.driver.switch_to.active_element.get_attribute("id") == "in-zone", "Tab goes on to the zone")
        console.find("#in-name").send_keys(Keys.ENTER)
        console.wait_for(lambda d: d.current_url.endswith("/ui/machines/kb-01"), "Enter sends the form: kb-01 requested from the keyboard")

        print("viewer")
        console.sign_out()
        console.sign_in(viewer)
        check("web-01" not in console.text() and "db-01" in console.text(), "the viewer sees their team's machines")
        check(not console.finds("a.button[href='/ui/machines/new']"), "the viewer is not offered the request form")
        console.get("/ui/machines/db-01")
        check(not console.finds("section.actions") and not console.finds("form[action$='/resize']"), "the viewer sees no action buttons")
        console.shot("13-machine-viewer", phone_too=False)
        token = console.find("input[name=csrf]").get_attribute("value")
        check(console.post("/ui/machines/db-01/stop", {"csrf": token}) == 403, "the viewer gets 403 when posting a stop anyway")
        check(console.post("/ui/machines/db-01/delete", {"csrf": token, "confirm": "db-01"}) == 403, "and when posting a delete")
        state = api(base, admin, "GET", "/api/v1/machines/db-01")["state"]
        check(state == "running", "db-01 still runs")
    finally:
        console.driver.quit()
    if console.axe_failures:
        raise Failure("accessibility:\n  " + "\n  ".join(console.axe_failures))
    print("  ok: axe-core found no contrast, label or other serious error on any page")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    with open(args.token_file) as handle:
        admin = handle.read().strip()
    try:
        run(args.base, admin, args.screenshots)
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
