"""Swedish first (issue #3): English only when the user chooses it."""


def test_an_english_browser_still_gets_swedish_until_the_user_switches(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Logga in" in response.content.decode()
