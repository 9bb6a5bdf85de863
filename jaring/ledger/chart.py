"""The chart of accounts: fixed accounts, plus one cash account per payment channel (``1100-<CODE>``).

Every account's ``balance`` in reports is debits − credits (assets and expenses positive, liabilities
and income negative). Names are Bahasa Indonesia (the records' language); they are data, not UI strings.
"""

from django.utils.translation import gettext_noop  # names are data; pages translate them

BANK = "1000"            # operating bank account: payouts leave it, agents' remittances arrive in it
CHANNEL_CASH = "1100"    # + "-<channel code>": money a payment channel holds for us
AGENT_CASH = "1200"      # cash agents collected from workers and have not remitted yet
CHANNEL_FEES = "2100"    # channels' admin fees: collected with the payment, owed to the channel
SPONSOR_PREPAID = "2200"  # money sponsors paid that is not yet applied to a worker's months
COMMISSION_PAYABLE = "2300"
JHT_FUND = "2400"        # members' JHT savings (per member: savings.Account)
CLAIMS_PAYABLE = "2500"  # approved claims not transferred yet
PREPAID = "2600"         # members' prepaid balances (per member: the prepaid balance records)
OPENING = "3000"
INCOME_JKK = "4100"
INCOME_JKM = "4200"
INCOME_JHT = "4300"      # JHT contributions received (moved to the JHT fund when credited)
BENEFIT_JKK = "5100"
BENEFIT_JKM = "5200"
JHT_TRANSFER = "5300"    # JHT contributions credited to members' JHT savings
JHT_RETURNS = "5400"     # yearly return credited to members' JHT savings
COMMISSION_EXPENSE = "5500"

INCOME = {"jkk": INCOME_JKK, "jkm": INCOME_JKM, "jht": INCOME_JHT}
BENEFIT = {"JKK": BENEFIT_JKK, "JKM": BENEFIT_JKM}

# code: (name, type, description)
ACCOUNTS = {
    BANK: (gettext_noop("Bank operasional"), "asset", gettext_noop("Rekening bank untuk pembayaran klaim dan komisi serta setoran agen.")),
    AGENT_CASH: (gettext_noop("Kas di tangan agen"), "asset", gettext_noop("Iuran yang ditagih agen Perisai dan belum disetor.")),
    CHANNEL_FEES: (gettext_noop("Biaya admin kanal (titipan kanal)"), "liability",
                   gettext_noop("Biaya admin yang dibayar peserta di atas iuran; milik kanal, bukan pendapatan iuran.")),
    SPONSOR_PREPAID: (gettext_noop("Uang muka sponsor"), "liability", gettext_noop("Pembayaran tagihan sponsor yang belum dikreditkan ke pekerja.")),
    COMMISSION_PAYABLE: (gettext_noop("Utang komisi agen"), "liability", gettext_noop("Komisi agen yang sudah dihitung dan belum dibayar.")),
    JHT_FUND: (gettext_noop("Dana JHT peserta"), "liability", gettext_noop("Saldo JHT seluruh peserta (rincian per peserta: rekening JHT).")),
    CLAIMS_PAYABLE: (gettext_noop("Utang klaim"), "liability", gettext_noop("Klaim JKK/JKM yang disetujui dan belum ditransfer.")),
    PREPAID: (gettext_noop("Saldo prabayar peserta"), "liability", gettext_noop("Saldo prabayar peserta yang belum dipakai untuk iuran.")),
    OPENING: (gettext_noop("Saldo awal"), "equity", gettext_noop("Lawan jurnal saldo awal bila data lama tidak seimbang.")),
    INCOME_JKK: (gettext_noop("Pendapatan iuran JKK"), "income", gettext_noop("Bagian JKK dari tagihan yang lunas.")),
    INCOME_JKM: (gettext_noop("Pendapatan iuran JKM"), "income", gettext_noop("Bagian JKM dari tagihan yang lunas.")),
    INCOME_JHT: (gettext_noop("Iuran JHT diterima"), "income", gettext_noop("Bagian JHT dari tagihan yang lunas.")),
    BENEFIT_JKK: (gettext_noop("Beban manfaat JKK"), "expense", gettext_noop("Klaim dan beasiswa JKK yang disetujui.")),
    BENEFIT_JKM: (gettext_noop("Beban manfaat JKM"), "expense", gettext_noop("Klaim dan beasiswa JKM yang disetujui.")),
    JHT_TRANSFER: (gettext_noop("Iuran JHT dipindahkan ke dana JHT"), "expense", gettext_noop("Iuran JHT yang dikreditkan ke rekening JHT.")),
    JHT_RETURNS: (gettext_noop("Hasil pengembangan JHT"), "expense", gettext_noop("Hasil pengembangan tahunan yang dikreditkan.")),
    COMMISSION_EXPENSE: (gettext_noop("Beban komisi agen"), "expense", gettext_noop("Komisi dan bonus agen Perisai.")),
}

# system channels whose money is not held by a payment processor
SYSTEM_SOURCE = {"AGENT": AGENT_CASH, "SPONSOR": SPONSOR_PREPAID, "PREPAID": PREPAID}


def channel_cash(code: str) -> str:
    return f"{CHANNEL_CASH}-{code}"


def source_account(channel_code: str) -> str:
    """The account a payment on ``channel_code`` is paid from (debited)."""
    return SYSTEM_SOURCE.get(channel_code) or channel_cash(channel_code)


def definition(code: str):
    """(name, type, description) of a chart code, channel cash accounts included; None if unknown."""
    if code in ACCOUNTS:
        return ACCOUNTS[code]
    if code.startswith(CHANNEL_CASH + "-") and len(code) > 5:
        ch = code[5:]
        if ch == "BRANCH":
            return (gettext_noop("Kas loket kantor cabang"), "asset", gettext_noop("Iuran yang dibayar tunai di loket kantor cabang."))
        return (f"Kas di kanal {ch}", "asset", f"Uang yang dipegang kanal {ch} untuk Jaring.")
    return None
