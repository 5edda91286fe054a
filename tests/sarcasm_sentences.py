"""The Chain-of-Code tests' question: ten sentences, five of them sarcastic, and a judge that
a function-backed model uses in place of a language model's judgement."""

SENTENCES = [
    "Oh great, another Monday.",
    "I love sunny days.",
    "Wow, what a surprise, the train is late again.",
    "The cake was delicious.",
    "Sure, because waiting two hours is my favourite hobby.",
    "We adopted a puppy yesterday.",
    "Fantastic, the printer jammed again.",
    "Thanks for the flowers.",
    "Oh wonderful, it's raining on my day off.",
    "The meeting ended early.",
]
SARCASTIC_MARKERS = ("great", "Wow", "Sure,", "Fantastic", "wonderful")


def judge(sentence: str) -> bool:
    return any(marker in sentence for marker in SARCASTIC_MARKERS)
