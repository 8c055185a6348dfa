"""The shipped quiz answer key agrees with each question's explanation and the lessons.

Many multiple-choice questions once flagged a wrong choice as correct while the explanation
(and the lesson) said otherwise. Every question that was fixed is pinned here, so an edit
that moves a flag back fails. The French and Chinese files carry the same flags (the loader
refuses a translation whose correct answers differ).
"""

import pytest

from reports.reference import load_reference_data
from training.content import load_training_content, translated_languages
from training.models import Question, QuestionKind

pytestmark = pytest.mark.django_db

# (module slug, question prompt prefix, prefix of the choice that must be marked correct)
ANSWER_KEY = [
    ("tibetan-antelope", "How is shahtoosh wool obtained", "By killing Tibetan antelopes"),
    ("tibetan-antelope", "Which clue do forensic labs use", "Stray chiru guard hairs"),
    ("tibetan-antelope", "What is the CITES status of the Tibetan", "Appendix I since 1979"),
    ("tibetan-antelope", "What does 藏羚羊绒 mean", "Tibetan antelope down"),
    ("tibetan-antelope", "A listing offers a pair of long, straight", "Tibetan antelope horns"),
    ("tibetan-antelope", "A seller says the shawl is 'antique", "Flag it: an 'antique' claim"),
    ("big-cats", "What product is 虎骨酒", "Tiger bone wine"),
    ("big-cats", "A seller shows a 'leopard rug'", "The reverse, showing smooth tanned"),
    ("big-cats", "A listing says 'resin claw, not real'", "Flag it and mention the photos"),
    ("big-cats", "In a Chinese-language post", "Most likely a live tiger cub"),
    ("birds", "Since when has the African grey", "Since January 2017"),
    ("birds", "Which of these parrots is NOT listed", "Cockatiel"),
    ("birds", "What is 鹤顶红", "Carved helmeted hornbill casque"),
    ("birds", "Why is the helmeted hornbill targeted", "It is the only hornbill with a solid"),
    ("birds", "What does a closed (seamless) leg ring", "It was fitted to a chick"),
    ("birds", "Which shipping method is a known way", "Stuffed into plastic water bottles"),
    ("primates", "Which of these primates is in CITES Appendix II", "Long-tailed macaque"),
    ("primates", "In a viral video, a slow loris", "It is frightened"),
    ("primates", "A photo shows a baby orangutan", "Its mother was most likely killed"),
    ("primates", "Which virus, carried by macaques", "B virus (herpes B)"),
    ("primates", "A listing advertises a '拇指猴'", "A pygmy marmoset"),
    ("primates", "Which detail in a primate photo", "The whole image including background"),
    ("reptiles", "Which feature identifies a ploughshare", "A golden-brown dome"),
    ("reptiles", "A ploughshare tortoise in a listing has", "It was taken from a wild population"),
    ("reptiles", "In a Chinese listing, what animal is 金钱龟", "The golden coin turtle"),
    ("reptiles", "What is 鳄蜥", "The Chinese crocodile lizard"),
    ("reptiles", "A major retailer lists a new python", "Do not flag on material alone"),
    ("reptiles", "Which photo detail is a sign of smuggling", "Tortoises with packing tape"),
]


@pytest.fixture
def loaded(db):
    load_reference_data()
    load_training_content()


def test_marked_choice_is_the_one_the_explanation_gives(loaded):
    wrong = []
    for slug, prompt, expected in ANSWER_KEY:
        question = Question.objects.get(
            module__slug=slug, prompt__startswith=prompt, is_active=True
        )
        correct = question.choices.get(is_correct=True)
        if not correct.text.startswith(expected):
            wrong.append(
                f"{slug}: {question.prompt!r} marks {correct.text!r}, expected {expected!r}"
            )
        # The same choice is right in every language: its translations sit on it.
        assert set(correct.translations) == set(translated_languages()), question.prompt
    assert not wrong, "\n".join(wrong)


def test_listing_questions_explained_as_do_not_flag_are_marked_allowed(loaded):
    listings = Question.objects.filter(kind=QuestionKind.LISTING, is_active=True)
    said_allowed = [q for q in listings if "do not flag" in q.explanation.lower()]
    assert said_allowed
    for question in said_allowed:
        correct = question.choices.get(is_correct=True)
        assert correct.text.startswith("Allowed"), (question.listing_title, correct.text)
