"""The contract's Money messages as domain Money, refused with the field's name."""

from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument

from vigie_partnerships.domain.money import InvalidMoney, Money, parse_money


def money_of(message: pb.Money, field: str) -> Money:
    if not message.amount:
        raise InvalidArgument(field, "an amount and a currency_code are required")
    try:
        return parse_money(message.amount, message.currency_code)
    except InvalidMoney as refused:
        raise InvalidArgument(field, refused.message, refused.reason) from None


def money_message(money: Money) -> pb.Money:
    return pb.Money(amount=money.text(), currency_code=money.currency)
