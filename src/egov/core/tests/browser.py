"""Shared helpers of the browser tests (Playwright driving Debian's headless Chromium)."""

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


def axe_violations(page, live_server) -> list[str]:
    """Serious and critical accessibility problems axe-core finds on the page (vendored, same origin for the CSP).

    Waits for the page's load event first: a link's ``click()`` returns once the navigation has started, and a
    script tag added while the next document is still being parsed finds no ``<head>`` to join.
    """
    page.wait_for_load_state("load")
    page.wait_for_function("document.head !== null && document.readyState === 'complete'")
    page.add_script_tag(url=live_server.url + "/static/vendor/axe-core/axe.min.js")
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
