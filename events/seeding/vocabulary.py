"""Real words for the synthetic corpus, so titles, quotes and names read like the news.

Word lists only: `events.seeding.synthetic` draws from them with a seeded generator.
The general vocabulary is the curated list below plus every word of the seed article,
so full-text search meets the stems, stop words and word lengths of real reporting.
"""

import re
from functools import cache
from pathlib import Path

SEED_ARTICLE = Path(__file__).resolve().parents[2] / "seeds" / "bloomberg-2017-03-03-russia-urges-trump.txt"

NEWS_WORDS = """
accord advance agreement aid airstrike alliance ambassador amnesty annexation armistice army arrest
assault attack authority autonomy backing barrage battle blockade border bombardment brigade buffer
cabinet campaign capital casualties ceasefire censure charter civilian coalition command commander
commission communique compromise concession conference confrontation congress constitution consul
convoy corridor council coup court crackdown crisis curfew debate declaration defence delegation
demand democracy deployment detention dialogue diplomat diplomacy displacement dispute drone economy
election embargo embassy emergency envoy escalation evacuation exile expulsion faction federal
fighting finance forces frontier funding garrison government governor guarantee guerrilla harbour
hostage humanitarian incursion independence infantry inquiry insurgency intelligence interim
intervention invasion investigation judiciary junta justice kidnapping landmine law leader legislature
liberation looting majority mandate massacre mediation memorandum migration militia minister ministry
minority mission mobilisation monitor movement negotiation neutrality observer occupation offensive
oil opposition ordnance outpost parliament partition party patrol peace peacekeeping pipeline police
president prime prisoner protest protocol province raid rally rebel reconciliation referendum reform
refugee regime region reinforcement relief reparations republic resistance resolution retreat
revolution sanction security senate settlement shelling siege skirmish sovereignty spokesman
stalemate strike summit supply surrender talks territory terrorism treaty tribunal troops truce
ultimatum uprising veto violation vote war warning weapons withdrawal
""".split()

FIRST_NAMES = """
Ahmed Aleksandr Amina Andrei Anna Antonio Ashraf Beatriz Boris Carlos Chen Dmitry Elena Emmanuel
Fatima Fayez Gennady Hassan Helga Ibrahim Igor Ivan Jean John Juan Kamal Khalifa Kofi Layla Li
Luis Maria Mariam Mikhail Mohammed Nadia Nikolai Olga Omar Pavel Pedro Rashid Samir Sergei Sofia
Tariq Vladimir Walid Yusuf Zainab
""".split()

SURNAMES = """
Abdullah Alvarez Amari Baker Belov Bogdanov Castillo Chaudhry Dahan Diallo Dubois Esposito Fischer
Ghani Haddad Hakimi Haftar Ivanov Jaber Kapoor Karimi Kovalenko Lavrov Lebedev Mansour Medina
Mendoza Morozov Nasser Novak Okafor Orlov Peskov Petrov Popescu Qasim Rahman Romanov Saleh Sarraj
Schneider Sokolov Suleiman Tanaka Volkov Wang Yilmaz Zakharov Zidane
""".split()

COUNTRIES = """
Afghanistan Albania Algeria Angola Argentina Armenia Azerbaijan Bahrain Belarus Bolivia Bosnia
Burundi Cameroon Chad Chile China Colombia Congo Croatia Cuba Cyprus Egypt Eritrea Ethiopia France
Georgia Germany Ghana Greece Guatemala Haiti India Indonesia Iran Iraq Israel Italy Japan Jordan
Kazakhstan Kenya Kosovo Kuwait Lebanon Liberia Libya Mali Mexico Moldova Morocco Mozambique Myanmar
Niger Nigeria Oman Pakistan Peru Qatar Russia Rwanda Serbia Somalia Sudan Syria Tajikistan Tunisia
Turkey Uganda Ukraine Venezuela Yemen Zimbabwe
""".split()

PLACES = """
Aleppo Algiers Amman Ankara Astana Baghdad Beirut Benghazi Berlin Brussels Cairo Damascus Derna Doha
Geneva Homs Idlib Istanbul Kabul Khartoum Kyiv London Misrata Moscow Mosul Nairobi Paris Raqqa Riyadh
Sirte Sochi Tehran Tobruk Tripoli Vienna Washington
""".split()

ORGANISATION_PATTERNS = (
    "National {} Council",
    "{} Liberation Front",
    "Ministry of {}",
    "{} Defence Forces",
    "Union for {}",
    "{} Brigade",
    "Committee on {}",
    "{} Movement",
)


@cache
def general_words() -> tuple[str, ...]:
    """The curated news words and the seed article's words (3+ letters), sorted and unique."""
    article = SEED_ARTICLE.read_text(encoding="utf-8")
    words = {word.lower() for word in re.findall(r"[A-Za-z]{3,}", article)} | set(NEWS_WORDS)
    return tuple(sorted(words))
