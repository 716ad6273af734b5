"""Drive steward's review page (dedupe --review-html) in a real headless Chromium, as a steward would.

Usage: review.py PAGE.html DECISIONS.csv CHROMIUM
Decides the first three pairs with clicks (match, not a match, match), moves on with j and decides the fourth
with the n key, tries the probability and field filters, saves the decisions (the page's download) to
DECISIONS.csv and prints what it saw as one JSON object for the Rust test to check.
"""

import json
import sys

from playwright.sync_api import sync_playwright


def main() -> None:
    page_path, out_csv, chromium = sys.argv[1:4]
    seen = {"errors": [], "dialogs": [], "requests": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        page.on("console", lambda m: seen["errors"].append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: seen["errors"].append(f"uncaught: {e}"))

        def on_dialog(d):
            seen["dialogs"].append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.on(
            "request",
            lambda r: None if r.url.startswith(("file:", "blob:")) else seen["requests"].append(r.url),
        )
        page.goto("file://" + page_path)
        data = json.loads(page.locator("#review-data").text_content())
        pairs = page.locator("section.pair")
        seen["pairs"] = pairs.count()
        seen["scripts"] = page.locator("script").count()

        def shown() -> int:
            return page.locator("section.pair:not(.hidden)").count()

        # Three decisions with clicks, one with a key press after moving on with j.
        decided = []
        for i, choice in enumerate(["match", "not a match", "match"]):
            pairs.nth(i).locator(f'.decision button[data-decision="{choice}"]').click()
            decided.append((i, choice))
        page.keyboard.press("j")
        page.keyboard.press("n")
        decided.append((3, "not a match"))
        seen["pressed"] = [
            pairs.nth(i).locator('.decision button[aria-pressed="true"]').text_content() for i, _ in decided
        ]
        seen["decided"] = [
            {"id_a": data["pairs"][i]["id_a"], "id_b": data["pairs"][i]["id_b"], "decision": c}
            for i, c in decided
        ]
        seen["count_text"] = page.locator("#count").text_content()

        # Filters: a probability range, then a field that differs.
        cut = sorted(p["probability"] for p in data["pairs"])[len(data["pairs"]) // 2] * 100
        page.fill("#min", f"{cut:.6f}")
        seen["min_filter"] = {
            "shown": shown(),
            "expected": sum(1 for p in data["pairs"] if p["probability"] * 100 >= float(f"{cut:.6f}")),
        }
        page.fill("#min", "")
        field = data["fields"].index("email")
        page.select_option("#field", str(field))
        seen["field_filter"] = {
            "shown": shown(),
            "expected": sum(1 for p in data["pairs"] if p["values"][field][0].strip() != p["values"][field][1].strip()),
        }
        page.select_option("#field", "")
        seen["after_filters"] = shown()

        # Each pair's fields are built as it comes near the window; scrolled through, every pair has them.
        for i in range(seen["pairs"]):
            pairs.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "n => document.querySelectorAll('section.pair[data-filled]').length === n", arg=seen["pairs"]
        )
        seen["filled"] = page.locator("section.pair[data-filled]").count()
        # Hostile values render as text.
        seen["hostile_cells"] = page.locator("td.v", has_text="<script>alert(1)</script>").count()

        with page.expect_download() as dl:
            page.click("#save")
        dl.value.save_as(out_csv)
        seen["download_name"] = dl.value.suggested_filename
        browser.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
